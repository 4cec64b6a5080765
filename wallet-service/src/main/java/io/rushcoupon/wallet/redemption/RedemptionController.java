package io.rushcoupon.wallet.redemption;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.common.error.CouponException;
import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.wallet.idempotency.IdempotentOutcome;
import io.rushcoupon.wallet.idempotency.StoredAnswer;
import io.rushcoupon.web.problem.Problems;
import io.rushcoupon.web.security.UserIds;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Redeeming a wallet coupon against an order, and cancelling a redemption. The user is the token's sub. */
@RestController
@RequestMapping("/api/v1/me")
@Tag(name = "Redemptions", description = "Redeem a coupon against an order; cancel a redemption")
class RedemptionController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** 1 to 64 visible ASCII characters. */
    static final String KEY_PATTERN = "[\\x21-\\x7E]{1,64}";

    private final RedemptionCommands commands;
    private final RedemptionAnswers answers;

    RedemptionController(RedemptionCommands commands, RedemptionAnswers answers) {
        this.commands = commands;
        this.answers = answers;
    }

    @PostMapping("/coupons/{issuanceId}/redemptions")
    @Operation(summary = "Redeem a coupon against an order",
            description = "201 with Location. 409 COUPON_ALREADY_REDEEMED or COUPON_EXPIRED, 422 MIN_ORDER_NOT_MET, "
                    + "404 ISSUANCE_NOT_FOUND; these answers are kept with the Idempotency-Key: the same key and "
                    + "body again answer the same, and change nothing. 422 IDEMPOTENCY_KEY_REUSED for the key "
                    + "with another coupon or body; 409 REQUEST_IN_PROGRESS with Retry-After while the first "
                    + "request with the key runs.")
    @ApiResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = RedemptionResponse.class)))
    ResponseEntity<?> redeem(@PathVariable @Positive long issuanceId,
            @RequestHeader(IDEMPOTENCY_KEY)
            @Pattern(regexp = KEY_PATTERN, message = "must be 1 to 64 visible ASCII characters") String idempotencyKey,
            @Valid @RequestBody RedemptionRequest request, @AuthenticationPrincipal Jwt jwt,
            HttpServletRequest http) {
        IdempotentOutcome outcome = commands.redeem(UserIds.of(jwt), issuanceId, idempotencyKey, request,
                URI.create(http.getRequestURI()));
        return switch (outcome) {
            case IdempotentOutcome.Answered answered -> stored(answered.answer());
            case IdempotentOutcome.InProgress inProgress -> ResponseEntity.status(HttpStatus.CONFLICT)
                    .header(HttpHeaders.RETRY_AFTER, Problems.retryAfterSeconds(inProgress.retryAfter()))
                    .body(Problems.of(ErrorCode.REQUEST_IN_PROGRESS,
                            "A request with this Idempotency-Key is still running; retry later."));
            case IdempotentOutcome.KeyReused reused -> throw new CouponException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                    "This Idempotency-Key was used for another request.");
        };
    }

    @GetMapping("/redemptions/{redemptionId}")
    @Operation(summary = "A redemption of this user (the Location of a 201)", description = "404 REDEMPTION_NOT_FOUND")
    RedemptionView redemption(@PathVariable @Positive long redemptionId, @AuthenticationPrincipal Jwt jwt) {
        return commands.redemption(UserIds.of(jwt), redemptionId);
    }

    @PostMapping("/redemptions/{redemptionId}/cancellation")
    @Operation(summary = "Cancel a redemption",
            description = "The coupon is AVAILABLE again, or EXPIRED when its validity has passed; repeating it "
                    + "answers the same. 404 REDEMPTION_NOT_FOUND")
    CancellationResponse cancel(@PathVariable @Positive long redemptionId, @AuthenticationPrincipal Jwt jwt) {
        return commands.cancel(UserIds.of(jwt), redemptionId);
    }

    /** The stored JSON as it is: a repeat gets the first answer byte for byte. */
    private ResponseEntity<byte[]> stored(StoredAnswer answer) {
        var response = ResponseEntity.status(answer.status())
                .contentType(answer.status() < 400 ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_PROBLEM_JSON);
        if (answer.status() == HttpStatus.CREATED.value()) {
            response.location(URI.create("/api/v1/me/redemptions/" + answers.redemptionId(answer)));
        }
        return response.body(answer.body().getBytes(StandardCharsets.UTF_8));
    }
}
