/** ./rushcoupon chaos: the randomized history checker (harness's io.rushcoupon.harness.chaos) on a stack of its own. */
@NullMarked
package io.rushcoupon.localstack.chaos;

import org.jspecify.annotations.NullMarked;
