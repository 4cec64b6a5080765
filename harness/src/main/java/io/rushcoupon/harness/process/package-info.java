/** RushCoupon services started from their executable jars, with the environment that points them at their servers. */
@NullMarked
package io.rushcoupon.harness.process;

import org.jspecify.annotations.NullMarked;
