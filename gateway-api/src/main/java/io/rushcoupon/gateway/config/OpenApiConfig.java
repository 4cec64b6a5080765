package io.rushcoupon.gateway.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.web.problem.Problems;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.examples.Example;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;

/**
 * The OpenAPI document springdoc serves at /v3/api-docs. The issue and status endpoints name the
 * bearer scheme themselves ({@code @SecurityRequirement}); reading a coupon needs no token. The
 * error answers of each endpoint come from the shared {@link ErrorCode}s, as README.md's error
 * table lists them, each a problem detail with its code.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "RushCoupon user API", version = "v1",
        description = "Ask for a coupon during its drop, poll the request, read a coupon. Errors are RFC 9457 "
                + "problem details with a stable code; 429 and 503 answers carry Retry-After."))
@SecurityScheme(name = OpenApiConfig.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public class OpenApiConfig {

    /** The name of the bearer-JWT security scheme in the document. */
    public static final String BEARER = "bearer";

    private static final String PROBLEM = "Problem";

    @Bean
    OpenApiCustomizer errorAnswers() {
        return openApi -> {
            openApi.getComponents().addSchemas(PROBLEM, problemSchema());
            errors(openApi, "/api/v1/coupons/{couponId}/issue-requests", PathItem::getPost,
                    ErrorCode.COUPON_NOT_FOUND, ErrorCode.ISSUANCE_NOT_STARTED, ErrorCode.ISSUANCE_ENDED,
                    ErrorCode.COUPON_PAUSED, ErrorCode.DUPLICATE_REQUEST, ErrorCode.SOLD_OUT, ErrorCode.BUSY,
                    ErrorCode.RATE_LIMITED, ErrorCode.UNAVAILABLE, ErrorCode.OVERLOADED, ErrorCode.UNAUTHORIZED,
                    ErrorCode.VALIDATION_FAILED, ErrorCode.PAYLOAD_TOO_LARGE);
            errors(openApi, "/api/v1/issue-requests/{requestId}", PathItem::getGet,
                    ErrorCode.REQUEST_NOT_FOUND, ErrorCode.UNAVAILABLE, ErrorCode.UNAUTHORIZED);
            errors(openApi, "/api/v1/coupons/{couponId}", PathItem::getGet,
                    ErrorCode.COUPON_NOT_FOUND, ErrorCode.UNAVAILABLE, ErrorCode.VALIDATION_FAILED);
        };
    }

    /** One answer per HTTP status, its codes as examples; springdoc's guesses from the advice are replaced. */
    private static void errors(OpenAPI openApi, String path, Function<PathItem, Operation> method, ErrorCode... codes) {
        Operation operation = method.apply(openApi.getPaths().get(path));
        ApiResponses responses = new ApiResponses();
        operation.getResponses().forEach((status, response) -> {
            if (status.startsWith("2")) {
                // springdoc says */* for handlers without produces; the answers are JSON
                if (response.getContent() != null && response.getContent().containsKey(MediaType.ALL_VALUE)) {
                    response.setContent(new Content().addMediaType(MediaType.APPLICATION_JSON_VALUE,
                            response.getContent().get(MediaType.ALL_VALUE)));
                }
                responses.addApiResponse(status, response);
            }
        });
        Map<Integer, List<ErrorCode>> byStatus = List.of(codes).stream()
                .collect(Collectors.groupingBy(ErrorCode::httpStatus, TreeMap::new, Collectors.toList()));
        byStatus.forEach((status, sameStatus) -> responses.addApiResponse(Integer.toString(status), answer(status, sameStatus)));
        operation.setResponses(responses);
    }

    private static ApiResponse answer(int status, List<ErrorCode> codes) {
        Map<String, Example> examples = new LinkedHashMap<>();
        for (ErrorCode code : codes) {
            examples.put(code.name(), new Example().summary(code.title()).value(Map.of(
                    "type", Problems.type(code).toString(), "title", code.title(), "status", status,
                    Problems.CODE, code.name())));
        }
        io.swagger.v3.oas.models.media.MediaType problem = new io.swagger.v3.oas.models.media.MediaType()
                .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))
                .examples(examples);
        ApiResponse answer = new ApiResponse()
                .description(codes.stream().map(code -> code.name() + ": " + code.title()).collect(Collectors.joining("; ")))
                .content(new Content().addMediaType(MediaType.APPLICATION_PROBLEM_JSON_VALUE, problem));
        if (Problems.asksToRetryLater(status)) {
            answer.addHeaderObject(HttpHeaders.RETRY_AFTER, new Header()
                    .description("Seconds to wait before asking again").schema(new IntegerSchema()));
        }
        return answer;
    }

    private static Schema<?> problemSchema() {
        return new ObjectSchema()
                .description("RFC 9457 problem detail with the stable error code")
                .addProperty("type", new StringSchema().format("uri"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema().format("uri"))
                .addProperty(Problems.CODE, new StringSchema()._enum(
                        List.of(ErrorCode.values()).stream().map(ErrorCode::name).toList()))
                .addProperty("requestId", new StringSchema().description("DUPLICATE_REQUEST only: the earlier request"))
                .addProperty("errors", new Schema<>().type("array").description("VALIDATION_FAILED only: {field, message}"));
    }
}
