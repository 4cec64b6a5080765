package io.rushcoupon.admin.coupon;

import java.net.URI;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.PositiveOrZero;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import io.rushcoupon.web.page.PageLimits;
import io.rushcoupon.web.page.PageResponse;
import io.rushcoupon.common.coupon.CouponStatus;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Coupon lifecycle. Answers that show one coupon carry its version as ETag. */
@RestController
@RequestMapping("/api/v1/admin/coupons")
@Tag(name = "Coupons", description = "Create, read, change and delete coupons")
class CouponController {

    private final CouponCommands commands;
    private final CouponQueries queries;

    CouponController(CouponCommands commands, CouponQueries queries) {
        this.commands = commands;
        this.queries = queries;
    }

    @PostMapping
    @Operation(summary = "Create a coupon", description = "201 with Location and ETag; 409 COUPON_CODE_TAKEN")
    ResponseEntity<CouponResponse> create(@Valid @RequestBody CreateCouponRequest request) {
        CouponResponse coupon = commands.create(request);
        URI location = ServletUriComponentsBuilder.fromCurrentRequest().path("/{id}").buildAndExpand(coupon.id())
                .toUri();
        return ResponseEntity.created(location).eTag(coupon.etag()).body(coupon);
    }

    @GetMapping
    @Operation(summary = "List coupons, newest first, optionally by derived status")
    PageResponse<CouponResponse> list(
            @RequestParam(required = false) @Nullable CouponStatus status,
            @RequestParam(defaultValue = "0") @PositiveOrZero @Max(PageLimits.MAX_PAGE) int page,
            @RequestParam(defaultValue = PageLimits.DEFAULT_SIZE) @Min(1) @Max(PageLimits.MAX_SIZE) int size) {
        return queries.list(status, page, size);
    }

    @GetMapping("/{id}")
    @Operation(summary = "Read one coupon", description = "ETag is the version")
    ResponseEntity<CouponResponse> get(@PathVariable @Positive long id) {
        return withETag(queries.get(id));
    }

    @PatchMapping("/{id}")
    @Operation(summary = "Change some fields of a coupon",
            description = "If-Match with the ETag is required: 428 without it, 412 when stale. A new "
                    + "totalQuantity moves the remaining stock by the same delta, in PostgreSQL and in Redis "
                    + "(requests in flight keep their units); 409 QUANTITY_BELOW_ISSUED when it is below the "
                    + "units issued plus the requests still being issued; 503 UNAVAILABLE when Redis cannot be "
                    + "reached to count those (nothing changed).")
    ResponseEntity<CouponResponse> update(@PathVariable @Positive long id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @Valid @RequestBody UpdateCouponRequest update) {
        return withETag(commands.update(id, ifMatch, update));
    }

    @DeleteMapping("/{id}")
    @Operation(summary = "Delete a coupon nobody was issued and nobody can still be admitted for",
            description = "Pause or close it first, unless its window is over: 409 COUPON_ACTIVE while it may "
                    + "admit requests (in PostgreSQL, or in Redis when the pause has not reached it yet). "
                    + "409 COUPON_HAS_ISSUANCES when units were issued (close it instead) or requests are still "
                    + "being issued (retry once they are final). Its Redis state is removed atomically with "
                    + "those checks, and its recorded rejections with the row. 503 UNAVAILABLE when Redis "
                    + "cannot be reached (nothing deleted).")
    ResponseEntity<Void> delete(@PathVariable @Positive long id) {
        commands.delete(id);
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/{id}/pause")
    @Operation(summary = "Stop admitting requests for now", description = "409 ISSUANCE_ENDED when closed")
    ResponseEntity<CouponResponse> pause(@PathVariable @Positive long id, @AuthenticationPrincipal Jwt admin) {
        return withETag(commands.pause(id, AdminSubject.of(admin)));
    }

    @PostMapping("/{id}/resume")
    @Operation(summary = "Admit requests again", description = "409 ISSUANCE_ENDED when closed: closing is final")
    ResponseEntity<CouponResponse> resume(@PathVariable @Positive long id, @AuthenticationPrincipal Jwt admin) {
        return withETag(commands.resume(id, AdminSubject.of(admin)));
    }

    @PostMapping("/{id}/close")
    @Operation(summary = "End issuance for good")
    ResponseEntity<CouponResponse> close(@PathVariable @Positive long id, @AuthenticationPrincipal Jwt admin) {
        return withETag(commands.close(id, AdminSubject.of(admin)));
    }

    private static ResponseEntity<CouponResponse> withETag(CouponResponse coupon) {
        return ResponseEntity.ok().eTag(coupon.etag()).body(coupon);
    }
}
