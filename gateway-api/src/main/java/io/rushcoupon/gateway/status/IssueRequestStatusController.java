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
import io.rushcoupon.gateway.config.OpenApiConfig;
import io.rushcoupon.gateway.web.MissingState;
import io.rushcoupon.web.security.UserIds;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

/**
 * Polls one's own request. Unknown, malformed and someone else's ids get the same 404, so ids
 * cannot be probed; while Redis's state is being restored after a restart, a well-formed id it
 * does not know gets 503 instead (its status may be on its way back, see {@link MissingState}).
 */
@RestController
class IssueRequestStatusController {

    private final CouponRedis couponRedis;
    private final MissingState missingState;

    IssueRequestStatusController(CouponRedis couponRedis, MissingState missingState) {
        this.couponRedis = couponRedis;
        this.missingState = missingState;
    }

    @GetMapping("/api/v1/issue-requests/{requestId}")
    @SecurityRequirement(name = OpenApiConfig.BEARER)
    IssueRequestStatus status(@PathVariable String requestId, @AuthenticationPrincipal Jwt jwt) {
        long userId = UserIds.of(jwt);
        RequestId parsed = RequestId.tryParse(requestId);
        return Optional.ofNullable(parsed)
                .flatMap(couponRedis::request)
                .filter(request -> request.userId() == userId)
                .map(IssueRequestStatus::of)
                .orElseThrow(() -> {
                    if (parsed != null) {
                        missingState.confirmNotFound();
                    }
                    return new CouponException(ErrorCode.REQUEST_NOT_FOUND,
                            "No issue request " + requestId + " of yours is known.");
                });
    }
}
