/** The gateway's additions to the shared problem details: Retry-After, Redis outages as 503, state not yet restored. */
@NullMarked
package io.rushcoupon.gateway.web;

import org.jspecify.annotations.NullMarked;
