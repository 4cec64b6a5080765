/** The ./rushcoupon command line: options and the subcommands up, token, demo and bench. */
@NullMarked
package io.rushcoupon.localstack;

import org.jspecify.annotations.NullMarked;
