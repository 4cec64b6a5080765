/** Reads a service's Prometheus endpoint: the figures the bench and the fault checks compare. */
@NullMarked
package io.rushcoupon.harness.metrics;

import org.jspecify.annotations.NullMarked;
