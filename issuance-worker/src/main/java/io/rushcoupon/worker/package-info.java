/** The issuance worker: the only writer of issuance rows, from the Kafka issue requests. */
@NullMarked
package io.rushcoupon.worker;

import org.jspecify.annotations.NullMarked;
