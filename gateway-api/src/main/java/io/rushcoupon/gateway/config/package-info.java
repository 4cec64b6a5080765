/** The gateway's settings and shared beans: security chain, Redis client and its retry time, display clock. */
@NullMarked
package io.rushcoupon.gateway.config;

import org.jspecify.annotations.NullMarked;
