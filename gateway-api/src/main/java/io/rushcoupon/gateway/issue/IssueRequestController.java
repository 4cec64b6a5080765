package io.rushcoupon.gateway.issue;

import java.net.URI;

import jakarta.validation.constraints.Positive;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.gateway.config.OpenApiConfig;
import io.swagger.v3.oas.annotations.headers.Header;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;

/** Asks for a coupon. No body: who asks comes from the token, what from the path. */
@RestController
class IssueRequestController {

    private final IssueRequestService issueRequests;

    IssueRequestController(IssueRequestService issueRequests) {
        this.issueRequests = issueRequests;
    }

    @PostMapping("/api/v1/coupons/{couponId}/issue-requests")
    @SecurityRequirement(name = OpenApiConfig.BEARER)
    @ApiResponse(responseCode = "202", description = "Admitted and on its way to the worker; poll Location until final",
            headers = @Header(name = HttpHeaders.LOCATION, description = "The request's status, /api/v1/issue-requests/{requestId}",
                    schema = @Schema(type = "string")),
            useReturnTypeSchema = true)
    ResponseEntity<IssueRequestAccepted> request(@PathVariable @Positive long couponId,
            @AuthenticationPrincipal Jwt jwt) {
        IssueRequestAccepted accepted = issueRequests.request(couponId, Requester.of(jwt));
        return ResponseEntity.accepted()
                .location(URI.create("/api/v1/issue-requests/" + accepted.requestId()))
                .body(accepted);
    }
}
