import { ref } from 'vue';
import { ApiError } from '../api';

/**
 * The save of an admin form whose item has a version (类别, 部门): `saving` while it runs, and
 * `saveError` — the ApiError itself for a 412 (the page shows who changed it and when: SaveError.vue),
 * else one line of text (the API's message and each field's reason).
 */
export function useSave() {
  const saving = ref(false);
  const saveError = ref<ApiError | string>();
  /** Runs `write`; false when it failed (saveError then says why). */
  async function run(write: () => Promise<void>): Promise<boolean> {
    saveError.value = undefined;
    saving.value = true;
    try {
      await write();
      return true;
    } catch (e) {
      saveError.value = e instanceof ApiError && e.status === 412 ? e : e instanceof ApiError ? [e.message, ...e.details.map((d) => `${d.path}：${d.message}`)].join('；') : '保存失败';
      return false;
    } finally {
      saving.value = false;
    }
  }
  return { saving, saveError, run };
}
