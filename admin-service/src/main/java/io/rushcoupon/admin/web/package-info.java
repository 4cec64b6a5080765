/** Paging of the admin listings: limits and the page shape answered. */
@NullMarked
package io.rushcoupon.admin.web;

import org.jspecify.annotations.NullMarked;
