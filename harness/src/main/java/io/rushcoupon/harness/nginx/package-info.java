/** A real nginx in front of the gateways and the admin service, with the rules of infra/nginx. */
@NullMarked
package io.rushcoupon.harness.nginx;

import org.jspecify.annotations.NullMarked;
