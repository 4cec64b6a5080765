/** Security, OpenAPI, settings and the beans the wallet's features share. */
@NullMarked
package io.rushcoupon.wallet.config;

import org.jspecify.annotations.NullMarked;
