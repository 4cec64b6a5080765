/**
 * The randomized history checker (docs/reliability.md, "Randomized history checker"): a seeded plan
 * of a rush with retrying users, admin operations and faults, run against a {@code Stack}; every
 * client-visible exchange recorded; the history and the final state checked against I1–I5, status
 * monotonicity per request and close semantics.
 */
@NullMarked
package io.rushcoupon.harness.chaos;

import org.jspecify.annotations.NullMarked;
