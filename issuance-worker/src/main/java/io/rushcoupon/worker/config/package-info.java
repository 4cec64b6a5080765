/** The worker's shared settings and the beans both issuance and the reconciler use. */
@NullMarked
package io.rushcoupon.worker.config;

import org.jspecify.annotations.NullMarked;
