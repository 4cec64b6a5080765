/** An issue request's public id ({@code <couponId>-<uuid>}) and the statuses users poll it through. */
@NullMarked
package io.rushcoupon.common.issue;

import org.jspecify.annotations.NullMarked;
