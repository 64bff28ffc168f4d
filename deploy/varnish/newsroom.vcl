# Varnish in front of Newsroom (docs/varnish.md): anonymous readers get cached copies of what
# the app marks public (Cache-Control: public, s-maxage=...), and the app purges them by key
# with vmod xkey as soon as what they show changes (articles/pagecache/purgers.py).
#
#   varnishd -a :80 -f /etc/varnish/newsroom.vcl -s malloc,1G
#
# Needs Varnish 6 or 7 and vmod xkey (Debian: varnish, varnish-modules).
vcl 4.1;

import std;
import xkey;

# The app (gunicorn). tests/varnish.py replaces the host and port with its own backend's.
backend app {
    .host = "127.0.0.1";
    .port = "8000";
    .connect_timeout = 2s;
    .first_byte_timeout = 30s;
    .probe = {
        # The load balancer's check: the database only, so Redis down takes no server out.
        .url = "/healthz/lb/";
        .interval = 2s;
        .timeout = 1s;
        .window = 5;
        .threshold = 3;
        .initial = 3;  # healthy from the start: no refused requests while the probe warms up
    }
}

# Who may purge: the app servers. Loopback when the app runs on this machine; add their
# addresses here otherwise (tests/varnish.py replaces this list to test a refusal).
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        # client.ip, not remote.ip: behind a PROXY-protocol TLS terminator on this machine,
        # remote.ip would be loopback for every reader.
        # A proxy on this machine in front of Varnish (nginx) makes every reader's client.ip
        # loopback; whatever came through one has an X-Forwarded-For entry of its own
        # (Varnish appends client.ip to it, so a direct request has exactly one).
        if (client.ip !~ purgers || req.http.X-Forwarded-For ~ ",") {
            return (synth(403, "Purging is for the app servers"));
        }
        if (req.http.xkey-purge) {
            # Hard: unpublish, delete, takedown. The objects are gone, no stale copy is served.
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.n-gone));
        }
        if (req.http.xkey-softpurge) {
            # Soft: the objects expire now and are served stale (grace) while one fetch renews them.
            set req.http.n-gone = xkey.softpurge(req.http.xkey-softpurge);
            return (synth(200, "Soft-purged " + req.http.n-gone));
        }
        # A plain PURGE of a URL: every stored variant of that path (any Host or coding).
        if (std.ban("obj.http.x-url == " + req.url)) {
            return (synth(200, "Banned " + req.url));
        }
        return (synth(400, "Not a URL to purge: " + std.ban_error()));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);  # comment forms, reports, the admin's POSTs: straight to the app
    }

    # While the app answers its probe, a stale copy is served at most 10 s past its expiry or
    # a soft purge (the app's PAGE_CACHE_GRACE_SECONDS), by then the new copy is in; when the
    # app is down, stored copies are served for the whole grace kept (vcl_backend_response).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }

    # Staff and personal pages: the admin, previews, signed-in users (sessionid) and readers
    # with a message to show (messages) see live pages, cookies intact.
    if (req.url ~ "^/(admin|preview)(/|$)" || req.http.Authorization ||
        req.http.Cookie ~ "(^|;)\s*(sessionid|messages)=") {
        return (pass);
    }
    # Everyone else is an anonymous reader: the app shows them the same page whatever cookies
    # they carry (csrftoken, analytics), so one copy serves them all.
    unset req.http.Cookie;

    # Tracking parameters: the app ignores them, so they must not make copies of their own.
    if (req.url ~ "[?&](utm_[A-Za-z0-9_]*|fbclid|gclid|msclkid)=") {
        set req.url = regsuball(req.url, "([?&])(utm_[A-Za-z0-9_]*|fbclid|gclid|msclkid)=[^&]*", "\1");
        set req.url = regsuball(req.url, "&&+", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]$", "");
    }
    set req.url = std.querysort(req.url);

    # Brotli: Varnish itself only knows gzip (it keeps a gzip copy and unzips it for readers
    # who take no gzip). Readers who take br get a copy of their own, fetched as br.
    if (req.http.Accept-Encoding ~ "(^|,)\s*br\s*(,|;|$)" &&
        req.http.Accept-Encoding !~ "(^|,)\s*br\s*;\s*q=0(\.0*)?\s*(,|$)") {
        set req.http.x-newsroom-br = "1";
    } else {
        unset req.http.x-newsroom-br;
    }
    return (hash);
}

sub vcl_hash {
    if (req.http.x-newsroom-br) {
        hash_data("br");
    }
    # then the built-in: URL and Host
}

sub vcl_hit {
    set req.http.x-cache = "HIT";
    if (obj.ttl <= 0s) {
        set req.http.x-cache = "STALE";  # grace: served while a background fetch renews it
    }
}

sub vcl_miss {
    set req.http.x-cache = "MISS";
}

sub vcl_pass {
    set req.http.x-cache = "PASS";
}

sub vcl_backend_fetch {
    if (bereq.http.x-newsroom-br) {
        set bereq.http.Accept-Encoding = "br";  # Varnish had rewritten it to gzip
    }
    unset bereq.http.x-newsroom-br;
    unset bereq.http.x-cache;
    # A whole page, never a 304: the app answers a stale copy's ETag with 304 while another
    # worker renders the page again, and Varnish would keep its own stale copy for s-maxage.
    unset bereq.http.If-None-Match;
    unset bereq.http.If-Modified-Since;
}

sub vcl_backend_response {
    set beresp.http.x-url = bereq.url;  # for plain URL purges (bans on obj.http.x-url)

    # Store only what the app says every reader may share, for as long as it says (s-maxage).
    # Without a Cache-Control (the comment form's token, media in development), nothing.
    if (!beresp.http.Cache-Control ||
        beresp.http.Cache-Control ~ "(private|no-store|no-cache)" ||
        beresp.http.Set-Cookie ||
        beresp.http.Vary ~ "\*") {
        set beresp.uncacheable = true;  # remembered as hit-for-miss for a short while
        set beresp.ttl = 10s;
        return (deliver);
    }

    if (beresp.http.X-Page-Cache == "stale") {
        # The app's own previous copy, served while one of its workers renders the page
        # again (after a soft purge): kept as already expired, so the next reader gets it
        # and fetches once more, rather than kept for s-maxage.
        set beresp.ttl = 1ms;  # not 0: Varnish never looks at objects of no TTL
        set beresp.grace = 1h;
        return (deliver);
    }

    # Objects stay an hour past their TTL, served when the app is down (see req.grace) and
    # after a soft purge while the app renders the new copy; more if the app asks for it
    # (stale-while-revalidate).
    if (beresp.grace < 1h) {
        set beresp.grace = 1h;
    }
}

sub vcl_synth {
    if (req.method == "PURGE") {
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
}

sub vcl_deliver {
    unset resp.http.x-url;
    set resp.http.X-Cache = req.http.x-cache;
    if (!req.http.x-cache) {
        set resp.http.X-Cache = "PASS";
    }
    # The keys are for the purgers; readers do not need a list of article ids.
    if (client.ip !~ purgers) {
        unset resp.http.xkey;
        unset resp.http.Surrogate-Key;
        unset resp.http.Cache-Tag;
    }
}
