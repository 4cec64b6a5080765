package io.rushcoupon.gateway.issue;

import java.net.URI;

import jakarta.validation.constraints.Positive;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** Asks for a coupon. No body: who asks comes from the token, what from the path. */
@RestController
class IssueRequestController {

    private final IssueRequestService issueRequests;

    IssueRequestController(IssueRequestService issueRequests) {
        this.issueRequests = issueRequests;
    }

    @PostMapping("/api/v1/coupons/{couponId}/issue-requests")
    ResponseEntity<IssueRequestAccepted> request(@PathVariable @Positive long couponId,
            @AuthenticationPrincipal Jwt jwt) {
        IssueRequestAccepted accepted = issueRequests.request(couponId, Requester.of(jwt));
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/issue-requests/" + accepted.requestId()))
                .body(accepted);
    }
}
