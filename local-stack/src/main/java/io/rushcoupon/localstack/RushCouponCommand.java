package io.rushcoupon.localstack;

import java.util.Arrays;
import java.util.List;

import io.rushcoupon.localstack.bench.BenchCommand;
import io.rushcoupon.localstack.chaos.ChaosCommand;
import io.rushcoupon.localstack.demo.DemoCommand;
import io.rushcoupon.localstack.token.TokenCommand;
import io.rushcoupon.localstack.up.UpCommand;

/** {@code ./rushcoupon}: the one entry point for people. */
public final class RushCouponCommand {

    static final String HELP = """
            Usage: ./rushcoupon <command> [options]

            Commands:
              up                      run the whole system locally in the foreground; Ctrl-C stops it
                  --gateway-port N    default 8080 (or RUSHCOUPON_GATEWAY_PORT)
                  --admin-port N      default 8081 (or RUSHCOUPON_ADMIN_PORT)
                  --worker-port N     default 8082 (or RUSHCOUPON_WORKER_PORT)
                  --wallet-port N     default 8084 (or RUSHCOUPON_WALLET_PORT): the coupon wallet, /api/v1/me/
                  --partitions N      partitions of the issue topic, default 8
                  --kafka-brokers N   in-process KRaft brokers (at most 5), default 1; with 3 they form one
                                      controller quorum and the issue topic gets 3 replicas and
                                      min.insync.replicas=2, so acks=all survives a lost broker
                  --gateways N        run N gateways (at most 8) behind nginx: the first on the gateway
                                      port, the others on 8090, 8091, …;
                                      needs nginx (sudo apt-get install nginx, or infra/install-tools.sh)
                  --nginx-port N      nginx with --gateways 2+, default 8000 (or RUSHCOUPON_NGINX_PORT):
                                      /api/v1/ to the gateways, /api/v1/admin/ to admin, /api/v1/me/ to
                                      the wallet (infra/nginx)
                  --redis-cluster     a Redis Cluster of 3 masters + 3 replicas (redis-server on 7000–7005,
                                      bus 17000–17005, made by redis-cli --cluster create) instead of
                                      one Redis; every service talks to it in cluster mode
                  --discord-webhook URL   the team's Discord channel (or RUSHCOUPON_DISCORD_WEBHOOK_URL;
                                      several comma-separated): the drop's story — window opened, sold
                                      out, summary, pause/resume/close, dead letters, repairs — is posted
                                      there by the workers. The URL holds a secret token: shown only as
                                      …/webhooks/<id>/****. Without it each notification is printed here
              token --user ID         print a bearer token the local stack accepts
                  --admin             with the coupons:admin scope
                  --hours N           validity, default 12
              demo                    against a running stack: create a coupon and rush it, then some
                                      winners redeem, retry, double-tap and cancel in the wallet; then
                                      close the coupon (its summary goes to the notifications)
                  --units N           units of the coupon, default 300
                  --users N           distinct users, default 3000 (plus 10% double clicks)
                  --clients N         concurrent HTTP clients, default 64
                  --redeemers N       winners who use their coupon in the wallet, default 100
              bench                   start a stack of its own and benchmark it with wrk (see docs/benchmarks.md)
                  --scenarios LIST    any of c,a,h,b,w,r (default all): ceiling, hot coupon, half rate,
                                      many coupons, worker alone, every winner redeems
                  --users N           distinct users, default 300000 (plus 10% double clicks)
                  --units N           units of the hot coupon (and in all for many coupons), default 100000
                  --coupons N         coupons at once in scenario b, default 8
                  --consumers LIST    worker consumer counts for scenario b, default 1,2,4
                  --worker-events N   events for scenario w, default 100000
                  --threads N / --connections N   wrk's load, default 2 / 64
              chaos                   start a stack of its own and run randomized rushes with admin
                                      operations and faults, checking each run's history (docs/reliability.md)
                  --runs N            runs, default 1; one line each, then a summary with violations=N
                  --seed S            seed of the first run (run k uses S + k - 1), default random;
                                      a failure prints the command that replays it
              help                    this text

            Tokens are HS256 JWTs signed with RUSHCOUPON_JWT_SECRET; when it is unset, `up`
            generates a secret for the run and `token` uses it.
            """;

    private RushCouponCommand() {
    }

    public static void main(String[] args) {
        // before any logger exists: the launcher logs to a file, the terminal is for people
        System.setProperty("logback.configurationFile", "rushcoupon-logback.xml");
        List<String> rest = args.length == 0 ? List.of() : Arrays.asList(args).subList(1, args.length);
        String command = args.length == 0 ? "help" : args[0];
        int status;
        try {
            status = switch (command) {
                case "up" -> new UpCommand().run(rest);
                case "token" -> new TokenCommand().run(rest);
                case "demo" -> new DemoCommand().run(rest);
                case "bench" -> new BenchCommand().run(rest);
                case "chaos" -> new ChaosCommand().run(rest);
                case "help", "--help", "-h" -> {
                    System.out.print(HELP);
                    yield 0;
                }
                default -> {
                    System.err.print("unknown command '" + command + "'\n\n" + HELP);
                    yield 2;
                }
            };
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("rushcoupon " + command + ": " + e.getMessage());
            status = 2;
        } catch (Exception e) {
            System.err.println("rushcoupon " + command + " failed: " + e);
            status = 1;
        }
        System.exit(status);
    }
}
