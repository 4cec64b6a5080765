package io.rushcoupon.admin.config;

import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;

/** The OpenAPI document springdoc serves at /v3/api-docs: every operation needs the bearer token. */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(
        info = @Info(title = "RushCoupon admin API", version = "v1",
                description = "Coupon lifecycle, issuance listing, statistics and Redis reconciliation. "
                        + "Tokens need the scope coupons:admin."),
        security = @SecurityRequirement(name = OpenApiConfiguration.BEARER))
@SecurityScheme(name = OpenApiConfiguration.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT")
class OpenApiConfiguration {

    static final String BEARER = "bearer";
}
