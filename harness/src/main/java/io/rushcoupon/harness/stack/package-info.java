/** The one assembly of the running system, used by ./rushcoupon and every system test. */
@NullMarked
package io.rushcoupon.harness.stack;

import org.jspecify.annotations.NullMarked;
