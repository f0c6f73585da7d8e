// The viewer's entry module (compiled to dist/web/main.js, served at /js/main.js).
export {};
