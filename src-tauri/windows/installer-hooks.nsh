; Dertien's additions to Tauri's NSIS installer (bundle.windows.nsis.installerHooks).
;
; Tauri's installer registers a file association by making its own class the
; default for the extension (HKCU\Software\Classes\.xlsx = Dertien.xlsx). For a
; spreadsheet that would take double-click away from Excel wherever the user
; never chose a default. Dertien only wants to be in "Open with", so after the
; association is written the previous default goes back and Dertien's class is
; listed under OpenWithProgids, which is how Windows expects a secondary
; handler to register.

!macro DERTIEN_OPEN_WITH_ONLY EXT
  ReadRegStr $R0 SHCTX "Software\Classes\.${EXT}" "Dertien.${EXT}_backup"
  ${If} $R0 == ""
    ; Nothing of the user's own was there: let the machine-wide default show
    ; through again (HKCU's empty default would hide HKLM's).
    DeleteRegValue SHCTX "Software\Classes\.${EXT}" ""
  ${Else}
    WriteRegStr SHCTX "Software\Classes\.${EXT}" "" "$R0"
  ${EndIf}
  WriteRegStr SHCTX "Software\Classes\.${EXT}\OpenWithProgids" "Dertien.${EXT}" ""
!macroend

!macro DERTIEN_FORGET_OPEN_WITH EXT
  DeleteRegValue SHCTX "Software\Classes\.${EXT}\OpenWithProgids" "Dertien.${EXT}"
  DeleteRegValue SHCTX "Software\Classes\.${EXT}" "Dertien.${EXT}_backup"
  ; The uninstaller writes the saved default back, an empty one included.
  ReadRegStr $R0 SHCTX "Software\Classes\.${EXT}" ""
  ${If} $R0 == ""
    DeleteRegValue SHCTX "Software\Classes\.${EXT}" ""
  ${EndIf}
!macroend

!macro NSIS_HOOK_POSTINSTALL
  !insertmacro DERTIEN_OPEN_WITH_ONLY "xlsx"
  !insertmacro DERTIEN_OPEN_WITH_ONLY "xls"
  !insertmacro DERTIEN_OPEN_WITH_ONLY "ods"
  !insertmacro DERTIEN_OPEN_WITH_ONLY "csv"
  !insertmacro UPDATEFILEASSOC
!macroend

!macro NSIS_HOOK_POSTUNINSTALL
  !insertmacro DERTIEN_FORGET_OPEN_WITH "xlsx"
  !insertmacro DERTIEN_FORGET_OPEN_WITH "xls"
  !insertmacro DERTIEN_FORGET_OPEN_WITH "ods"
  !insertmacro DERTIEN_FORGET_OPEN_WITH "csv"
  !insertmacro UPDATEFILEASSOC
!macroend
