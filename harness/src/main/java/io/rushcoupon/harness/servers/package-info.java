/** Finds or starts PostgreSQL and Redis for a stack: the machine's servers, containers when a Docker engine runs, or processes of its own. */
@NullMarked
package io.rushcoupon.harness.servers;

import org.jspecify.annotations.NullMarked;
