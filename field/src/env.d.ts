/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

interface ImportMetaEnv {
  /** The API's origin when it is not the page's own (e.g. https://api.example.gov.cn); empty: same origin. */
  readonly VITE_API_BASE?: string;
}
