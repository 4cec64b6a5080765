package io.rushcoupon.gateway.status;

import java.util.Optional;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.common.issue.RequestId;
import io.rushcoupon.common.redis.CouponRedis;
import io.rushcoupon.web.security.UserIds;

/**
 * Polls one's own request. Unknown, malformed and someone else's ids get the same 404, so ids
 * cannot be probed.
 */
@RestController
class IssueRequestStatusController {

    private final CouponRedis coupons;

    IssueRequestStatusController(CouponRedis coupons) {
        this.coupons = coupons;
    }

    @GetMapping("/api/v1/issue-requests/{requestId}")
    IssueRequestStatus status(@PathVariable String requestId, @AuthenticationPrincipal Jwt jwt) {
        long userId = UserIds.of(jwt);
        return Optional.ofNullable(RequestId.tryParse(requestId))
                .flatMap(coupons::request)
                .filter(request -> request.userId() == userId)
                .map(IssueRequestStatus::of)
                .orElseThrow(() -> new CouponException(ErrorCode.REQUEST_NOT_FOUND,
                        "No issue request " + requestId + " of yours is known."));
    }
}
