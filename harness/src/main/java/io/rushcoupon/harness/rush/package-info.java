/** Drives a rush like real users (tokens, clicks, polling until final) and checks its outcome against the invariants I1 to I5. */
@NullMarked
package io.rushcoupon.harness.rush;

import org.jspecify.annotations.NullMarked;
