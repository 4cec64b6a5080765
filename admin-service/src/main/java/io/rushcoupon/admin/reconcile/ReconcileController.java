package io.rushcoupon.admin.reconcile;

import jakarta.validation.constraints.Positive;

import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.rushcoupon.admin.stats.CouponStats;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@Tag(name = "Stats")
class ReconcileController {

    private final CouponReconciler reconciler;

    ReconcileController(CouponReconciler reconciler) {
        this.reconciler = reconciler;
    }

    @PostMapping("/api/v1/admin/coupons/{id}/reconcile")
    @Operation(summary = "Rebuild the coupon's Redis state from PostgreSQL; answers the stats after")
    CouponStats reconcile(@PathVariable @Positive long id) {
        return reconciler.reconcile(id);
    }
}
