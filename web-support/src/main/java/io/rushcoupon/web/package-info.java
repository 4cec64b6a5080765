/** Auto-configuration of what the gateway and the admin service share on the web side. */
@NullMarked
package io.rushcoupon.web;

import org.jspecify.annotations.NullMarked;
