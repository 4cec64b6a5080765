/** Paging of the services' listings (admin, wallet): limits and the page shape answered. */
@NullMarked
package io.rushcoupon.web.page;

import org.jspecify.annotations.NullMarked;
