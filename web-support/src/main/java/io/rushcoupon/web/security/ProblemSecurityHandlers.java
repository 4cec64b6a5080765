package io.rushcoupon.web.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import io.rushcoupon.common.error.ErrorCode;
import io.rushcoupon.web.problem.Problems;

/**
 * 401 and 403 as problem details. The bearer-token handlers set status and
 * {@code WWW-Authenticate} as RFC 6750 asks; this adds the body with the shared code. Also the
 * firewall's rejections (400). Neither answer repeats the token or the rejected input.
 */
public final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler,
        RequestRejectedHandler {

    private final BearerTokenAuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
    private final BearerTokenAccessDeniedHandler accessDenied = new BearerTokenAccessDeniedHandler();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
            AuthenticationException exception) throws IOException {
        entryPoint.commence(request, response, exception);
        write(response, ErrorCode.UNAUTHORIZED, "A valid bearer token is required.");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
            AccessDeniedException exception) throws IOException {
        accessDenied.handle(request, response, exception);
        write(response, ErrorCode.FORBIDDEN, "The token does not grant access to this resource.");
    }

    /**
     * Spring Security's firewall refuses requests it cannot judge safely (encoded slashes, {@code ..},
     * semicolons, NUL and other control characters in the path or headers). Its default answers a
     * bare 400 through the container's error page; this answers the same 400 as a problem, without
     * repeating the offending input.
     */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response,
            RequestRejectedException exception) throws IOException {
        write(response, ErrorCode.VALIDATION_FAILED, "The request is malformed.");
    }

    private static void write(HttpServletResponse response, ErrorCode code, String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(code.httpStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getWriter().write(Problems.json(code, detail));
    }
}
