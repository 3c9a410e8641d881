package io.spillway.node.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.spillway.node.config.Secret;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Routes admin requests to the {@link AdminBackend}. Stateless, so one instance serves every
 * connection.
 */
@ChannelHandler.Sharable
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = Logger.getLogger("spillway.admin");
    private static final String METRICS_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON_TYPE = "application/json";
    private static final String TEXT_TYPE = "text/plain; charset=utf-8";

    private final AdminBackend backend;
    private final Secret token;
    private final ObjectMapper json = new ObjectMapper();

    AdminHttpHandler(AdminBackend backend, Secret token) {
        this.backend = backend;
        this.token = token;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response;
        try {
            response = request.decoderResult().isFailure()
                ? text(HttpResponseStatus.BAD_REQUEST, "bad request\n")
                : route(request);
        } catch (RuntimeException | JsonProcessingException e) {
            LOG.log(Level.WARNING, "admin request " + request.method() + " " + request.uri() + " failed", e);
            response = text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error\n");
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setContentLength(response, response.content().readableBytes());
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse route(FullHttpRequest request) throws JsonProcessingException {
        String path = new QueryStringDecoder(request.uri()).path();
        HttpMethod method = request.method();
        if (path.equals("/health") && isGet(method)) {
            return health();
        }
        if (token.isPresent() && !authorized(request)) {
            FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, "missing or wrong bearer token\n");
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"spillway\"");
            return r;
        }
        switch (path) {
            case "/metrics":
                if (isGet(method)) {
                    StringBuilder sb = new StringBuilder(8192);
                    backend.metrics().writeTo(sb);
                    return response(HttpResponseStatus.OK, METRICS_TYPE, sb.toString());
                }
                break;
            case "/calls":
                if (isGet(method)) {
                    return jsonResponse(HttpResponseStatus.OK, backend.callsView());
                }
                break;
            case "/cluster":
                if (isGet(method)) {
                    return jsonResponse(HttpResponseStatus.OK, backend.clusterView());
                }
                break;
            case "/config":
                if (isGet(method)) {
                    return text(HttpResponseStatus.OK, backend.config().toString());
                }
                break;
            case "/drain":
                if (method.equals(HttpMethod.POST)) {
                    boolean started = backend.requestDrain();
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("status", backend.state());
                    body.put("drain_started", started);
                    body.put("active_calls", backend.activeCalls());
                    return jsonResponse(HttpResponseStatus.ACCEPTED, body);
                }
                break;
            default:
                return text(HttpResponseStatus.NOT_FOUND,
                    "not found; try /health /metrics /calls /cluster /config, POST /drain\n");
        }
        FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "method not allowed\n");
        r.headers().set(HttpHeaderNames.ALLOW, path.equals("/drain") ? "POST" : "GET, HEAD");
        return r;
    }

    private FullHttpResponse health() throws JsonProcessingException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", backend.state());
        body.put("node_id", backend.config().cluster().nodeId());
        body.put("active_calls", backend.activeCalls());
        body.put("version", backend.version());
        HttpResponseStatus status = backend.isServing() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE;
        return jsonResponse(status, body);
    }

    private boolean authorized(FullHttpRequest request) {
        String auth = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        return auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) && token.matches(auth.substring(7).trim());
    }

    private static boolean isGet(HttpMethod m) {
        return m.equals(HttpMethod.GET) || m.equals(HttpMethod.HEAD);
    }

    private FullHttpResponse jsonResponse(HttpResponseStatus status, Object body) throws JsonProcessingException {
        return response(status, JSON_TYPE, json.writeValueAsString(body) + "\n");
    }

    private static FullHttpResponse text(HttpResponseStatus status, String body) {
        return response(status, TEXT_TYPE, body);
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(Level.FINE, "admin connection " + ctx.channel().remoteAddress() + " failed", cause);
        ctx.close();
    }
}
