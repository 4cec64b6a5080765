/** The Kafka contract between gateway and worker: the {@code IssueRequested} event and the topic names. */
@NullMarked
package io.rushcoupon.common.event;

import org.jspecify.annotations.NullMarked;
