/** The CORS policy of the HTTP services, closed unless origins are configured. */
@NullMarked
package io.rushcoupon.web.cors;

import org.jspecify.annotations.NullMarked;
