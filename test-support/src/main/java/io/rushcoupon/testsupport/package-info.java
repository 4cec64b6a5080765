/** Test-only glue: points Spring tests at the real servers, with each module's own schema and Redis database. */
@NullMarked
package io.rushcoupon.testsupport;

import org.jspecify.annotations.NullMarked;
