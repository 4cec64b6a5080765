/** The request-body size limit of the HTTP services (413 PAYLOAD_TOO_LARGE). */
@NullMarked
package io.rushcoupon.web.limit;

import org.jspecify.annotations.NullMarked;
