/** The stable error codes every RushCoupon API answers with, and the exception that carries one. */
@NullMarked
package io.rushcoupon.common.error;

import org.jspecify.annotations.NullMarked;
