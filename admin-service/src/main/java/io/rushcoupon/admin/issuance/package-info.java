/** Reading a coupon's issuance rows, which the worker writes. */
@NullMarked
package io.rushcoupon.admin.issuance;

import org.jspecify.annotations.NullMarked;
