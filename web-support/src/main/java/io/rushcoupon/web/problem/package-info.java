/** RFC 9457 problem details for the shared error codes and for Spring MVC's own errors. */
@NullMarked
package io.rushcoupon.web.problem;

import org.jspecify.annotations.NullMarked;
