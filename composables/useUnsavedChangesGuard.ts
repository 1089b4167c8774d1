// Asks before leaving a page with unsaved changes: on in-app navigation and on closing or
// reloading the tab (beforeunload).
export function useUnsavedChangesGuard(dirty: Ref<boolean>) {
  const confirmLeave = () => {
    if (dirty.value && !window.confirm('Leave without saving your changes?')) return false
  }
  // leaving the page, or opening another query in the same page
  onBeforeRouteLeave(confirmLeave)
  onBeforeRouteUpdate(confirmLeave)
  const onBeforeUnload = (event: BeforeUnloadEvent) => {
    if (!dirty.value) return
    event.preventDefault()
    event.returnValue = ''
  }
  onMounted(() => window.addEventListener('beforeunload', onBeforeUnload))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', onBeforeUnload))
}
