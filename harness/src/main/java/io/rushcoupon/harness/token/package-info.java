/** Signs the HS256 bearer tokens the services accept locally. */
@NullMarked
package io.rushcoupon.harness.token;

import org.jspecify.annotations.NullMarked;
