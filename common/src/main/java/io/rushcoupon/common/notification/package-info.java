/**
 * The team's notifications (#14): the kinds of event, their facts as payload records with the stable
 * dedupe key of each, the outbox insert every writer uses, and their rendering as Discord webhook
 * messages within Discord's limits. Plain Java; the worker's dispatcher sends them.
 */
@NullMarked
package io.rushcoupon.common.notification;

import org.jspecify.annotations.NullMarked;
