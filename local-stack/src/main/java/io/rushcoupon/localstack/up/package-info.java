/** ./rushcoupon up: the whole system in the foreground until Ctrl-C. */
@NullMarked
package io.rushcoupon.localstack.up;

import org.jspecify.annotations.NullMarked;
