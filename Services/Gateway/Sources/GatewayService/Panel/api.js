// The JSON API client: every call carries the signed-in user's bearer token, or, after single sign-on, the session
// cookie (HttpOnly: this code never sees it) with the session's CSRF token on calls that change something.

const TOKEN_KEY = "smartTicket.token";

/** The single sign-on session (`GET /auth/session`: subject, tenant, person, csrfToken), or null. */
let ssoSession = null;

export function session() {
  return ssoSession;
}

/** An error answered by the API (`{"error": {"code", "message"}}`) or a network failure. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }

  /** A sentence a person can act on. */
  get readable() {
    if (this.status === 0) return `Cannot reach the SmartTicket server (${this.message}).`;
    const what = {
      401: "You are not signed in: your token or session was refused, or it expired.",
      403: "Your role does not allow this.",
      404: "Not found, or not visible to you.",
      503: "A SmartTicket service is unavailable.",
    }[this.status];
    // What to do next, whatever the server said.
    const next = {
      401: "Sign in again.",
      403: "Ask an admin of the project for the role it needs.",
      404: "Check the address, or choose another project at the top.",
      429: "Wait a moment and try again.",
      502: "Try again in a moment.",
      503: "Try again in a moment.",
    }[this.status];
    const detail = this.message || what || "Unexpected error";
    return `${detail}${/[.!?]$/.test(detail) ? "" : "."}${next ? " " + next : ""} (HTTP ${this.status}${this.code ? ", " + this.code : ""})`;
  }
}

/** The stored token (this browser tab only), or null. */
export function storedToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function storeToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function forgetToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** The token's claims (for display only; the server verifies the token), or null. */
export function claims(token) {
  try {
    const part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const json = atob(part + "=".repeat((4 - (part.length % 4)) % 4));
    return JSON.parse(decodeURIComponent(Array.from(json, (c) => "%" + c.charCodeAt(0).toString(16).padStart(2, "0")).join("")));
  } catch {
    return null;
  }
}

/** Whether single sign-on is offered (`GET /auth/config`). */
export async function ssoOffered() {
  try {
    return (await call("GET", "/auth/config", { token: null })).oidc === true;
  } catch {
    return false;
  }
}

/** The single sign-on session the cookie holds, or null when there is none (remembered for `call`). */
export async function loadSession() {
  try {
    ssoSession = await call("GET", "/auth/session", { token: null });
  } catch {
    ssoSession = null;
  }
  return ssoSession;
}

/** Ends the single sign-on session; resolves with where to send the browser (the identity provider's logout, or "/"). */
export async function endSession() {
  let result = null;
  try {
    result = await call("POST", "/auth/logout", { token: null });
  } finally {
    ssoSession = null;
  }
  return (result && result.redirect) || "/";
}

/** Calls the API; resolves with the parsed JSON body (null for 204) or rejects with an ApiError. */
export async function call(method, path, { body, token = storedToken() } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  else if (ssoSession && method !== "GET" && method !== "HEAD") headers["X-CSRF-Token"] = ssoSession.csrfToken;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      // The session cookie goes to this server only; a bearer token wins over it there.
      credentials: "same-origin",
      cache: "no-store",
    });
  } catch (error) {
    throw new ApiError(0, "NETWORK", error.message || "network error");
  }
  if (response.status === 204) return null;
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const detail = data && data.error ? data.error : {};
    throw new ApiError(response.status, detail.code || "", detail.message || response.statusText);
  }
  return data;
}

/** A query string from the non-empty values of `params`. */
export function query(params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") search.set(key, String(value));
  }
  const text = search.toString();
  return text ? "?" + text : "";
}

/** Every item of a listed resource, following the `next` cursors (up to `maxPages` pages). */
export async function all(path, params = {}, maxPages = 20) {
  const items = [];
  let cursor = null;
  for (let page = 0; page < maxPages; page += 1) {
    const result = await call("GET", path + query({ ...params, cursor }));
    items.push(...result.items);
    cursor = result.next;
    if (!cursor) break;
  }
  return items;
}
