// Talking to pantau's JSON API: every dashboard page reads one /api endpoint (its
// "JSON twin"), and sends the token when the user saved one.

const TOKEN_KEY = "pantau.token";

export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export function getToken() {
  return localStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(value) {
  if (value) localStorage.setItem(TOKEN_KEY, value);
  else localStorage.removeItem(TOKEN_KEY);
}

/** "/api" + path + the query string of the non-empty params. */
export function apiUrl(path, params = {}) {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    query.set(key, String(value));
  }
  const text = query.toString();
  return `/api${path}${text ? "?" + text : ""}`;
}

async function request(method, url, body) {
  const headers = { Accept: "application/json" };
  const token = getToken();
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status === 204) return null;
  const data = await response.json().catch(() => null);
  if (!response.ok) {
    let detail = data && data.detail;
    // FastAPI's validation errors are a list: show the first one in one line.
    if (Array.isArray(detail)) detail = detail.map((d) => `${d.loc.join(".")}: ${d.msg}`).join("; ");
    throw new ApiError(response.status, detail || response.statusText);
  }
  return data;
}

export function getJSON(path, params) {
  return request("GET", apiUrl(path, params));
}

export function sendJSON(method, path, body) {
  return request(method, apiUrl(path), body);
}
