package io.rushcoupon.architecture;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;

import io.rushcoupon.admin.AdminApplication;
import io.rushcoupon.gateway.GatewayApplication;
import io.rushcoupon.wallet.WalletApplication;
import io.rushcoupon.worker.WorkerApplication;

/**
 * Inside each service, every top-level package (issue, status, coupon, config, web, ...) is a
 * Spring Modulith module: a feature uses another only through the types in that package's top
 * level (a sub-package is the feature's own), and the features do not depend on each other in a
 * cycle. Modulith's default model fits as it is: config and web are modules like the rest, used by
 * the features and using none of them.
 */
class FeatureModulesTest {

    @Test
    void gatewayFeaturesUseEachOtherOnlyThroughTheirTopLevelTypesAndWithoutCycles() {
        ApplicationModules.of(GatewayApplication.class).verify();
    }

    @Test
    void workerFeaturesUseEachOtherOnlyThroughTheirTopLevelTypesAndWithoutCycles() {
        ApplicationModules.of(WorkerApplication.class).verify();
    }

    @Test
    void adminFeaturesUseEachOtherOnlyThroughTheirTopLevelTypesAndWithoutCycles() {
        ApplicationModules.of(AdminApplication.class).verify();
    }

    @Test
    void walletFeaturesUseEachOtherOnlyThroughTheirTopLevelTypesAndWithoutCycles() {
        ApplicationModules.of(WalletApplication.class).verify();
    }
}
