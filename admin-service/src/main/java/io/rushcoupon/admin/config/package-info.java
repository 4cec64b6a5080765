/** The admin service's settings and shared beans: security chain, OpenAPI document, Redis client, snapshot reads. */
@NullMarked
package io.rushcoupon.admin.config;

import org.jspecify.annotations.NullMarked;
