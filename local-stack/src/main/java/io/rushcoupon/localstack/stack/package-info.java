/** What a running local stack tells the other commands (URLs, secret, servers) through its run folder. */
@NullMarked
package io.rushcoupon.localstack.stack;

import org.jspecify.annotations.NullMarked;
