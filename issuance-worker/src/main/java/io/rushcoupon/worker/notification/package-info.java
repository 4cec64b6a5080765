/**
 * The team's Discord notifications (#14): writers of the outbox ({@link io.rushcoupon.worker.notification.Notifications}),
 * and the dispatcher that delivers it to the configured webhooks or, with none, to the log.
 */
@NullMarked
package io.rushcoupon.worker.notification;

import org.jspecify.annotations.NullMarked;
