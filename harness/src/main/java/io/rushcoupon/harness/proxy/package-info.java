/** TCP proxies that cut and restore one service's link to a server, for fault injection. */
@NullMarked
package io.rushcoupon.harness.proxy;

import org.jspecify.annotations.NullMarked;
