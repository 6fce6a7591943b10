/** Cookie and request header carrying the login form's CSRF token (double submit: there is no session yet). */
export const LOGIN_CSRF_COOKIE = "spamtrail_login";
export const LOGIN_CSRF_HEADER = "x-spamtrail-login-csrf";
