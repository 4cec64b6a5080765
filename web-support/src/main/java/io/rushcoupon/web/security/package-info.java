/** Bearer-token verification (HS256 secret or a JWK set), user ids from {@code sub}, and 401/403 as problem details. */
@NullMarked
package io.rushcoupon.web.security;

import org.jspecify.annotations.NullMarked;
