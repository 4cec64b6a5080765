/** Micrometer meter names and tag keys that the dashboards and alert rules under infra/ refer to. */
@NullMarked
package io.rushcoupon.common.metrics;

import org.jspecify.annotations.NullMarked;
