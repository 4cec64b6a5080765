/** A real KRaft broker from Kafka's own server classes on loopback, and the admin queries the checks need (dead letters, group members). */
@NullMarked
package io.rushcoupon.harness.kafka;

import org.jspecify.annotations.NullMarked;
